// ink draws only the last frame, at exit, when it believes it runs in CI (is-in-ci reads CI when ink loads): the UI
// tests watch every frame, as a person at a terminal would, so they must see ink as it runs there. Import this
// first, before anything that imports ink.
delete process.env['CI'];
delete process.env['CONTINUOUS_INTEGRATION'];
