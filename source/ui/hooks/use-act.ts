import {resolve} from 'node:path';
import {useMemo} from 'react';
import {byteSize, maxClipboardBytes, osc52} from '../../act/osc52.js';
import {draftPolicy, defaultAction, policyActions, type PolicyAction, type PolicyDraft} from '../../act/policy-draft.js';
import {defaultSaveName, saveLines} from '../../act/save-view.js';
import {groupRecord} from '../../line/group-report.js';
import type {MonitorEvent} from '../../model/event.js';
import {jsonLine, sanitize} from '../../model/sanitize.js';
import type {EventStore} from '../../store/event-store.js';
import {editLine, lineOf, type LineEdit, type LineState} from '../line-editor.js';
import {useRefState} from './use-ref-state.js';

/** What the footer says after an action, for a while. */
export type Notice = {text: string; error: boolean; at: number};

export type SaveState = {
	what: 'view' | 'policy';
	line: LineState;
	/** Set when the file named exists: the prompt asks before replacing it. */
	exists?: string;
	/** Set while the file is being written. */
	writing?: boolean;
	/** Why the last write failed, in words (sanitized); the prompt stays open to fix the name. */
	error?: string;
};

export type PolicyState = {event: MonitorEvent; action: PolicyAction; scroll: number};

export type ActOptions = {
	store: EventStore;
	/** Writes straight to the terminal, between ink's frames (an OSC 52 sequence moves no cursor). */
	writeTerminal: (text: string) => void;
	inTmux: boolean;
	/** True while the screen shows groups: `w` then writes the groups, as line mode prints them. */
	showingGroups: () => boolean;
	/** The wall clock, for the default file name. */
	clock?: () => Date;
};

/** A notice shows this long. */
export const noticeMs = 10_000;

/**
 * Taking what was found along: copy an event (OSC 52), save the view (NDJSON), the raw view of the detail, and a
 * policy drafted from an alert (copied or saved in turn). State lives in refs, as the prompt's does: keys read
 * together ("w" then a typed name) are handled in one go.
 */
export function useAct({store, writeTerminal, inTmux, showingGroups, clock = () => new Date()}: ActOptions) {
	const [noticeRef, setNotice] = useRefState<Notice | undefined>(undefined);
	const [saveRef, setSave] = useRefState<SaveState | undefined>(undefined);
	const [policyRef, setPolicy] = useRefState<PolicyState | undefined>(undefined);
	const [rawRef, setRaw] = useRefState(false);

	const say = (text: string, error = false) => {
		setNotice({text: sanitize(text), error, at: store.now()});
	};

	const draftOf = (state: PolicyState): PolicyDraft => draftPolicy(state.event, state.action);

	const copyText = (text: string, what: string) => {
		const bytes = Buffer.byteLength(text, 'utf8');
		if (bytes > maxClipboardBytes) {
			say(`${what} is ${byteSize(bytes)}, more than terminals take through OSC 52 (${byteSize(maxClipboardBytes)}): w saves it`, true);
			return;
		}

		writeTerminal(osc52(text, inTmux));
		say(`copied ${what} (${byteSize(bytes)}) to the clipboard`);
	};

	/** The lines `w` writes: the view's events oldest first, or its groups as line mode prints them. */
	const viewLines = (): {lines: string[]; unit: string} => {
		const {groups} = store;
		if (groups && showingGroups()) return {lines: groups.sorted('count').map(group => jsonLine(groupRecord(groups, group))), unit: 'groups'};
		// A snapshot of the references: events arriving while the file is written must not shift what is written.
		const lines: string[] = [];
		for (const event of store.view.retained()) lines.push(jsonLine(event.fields));
		return {lines, unit: 'events'};
	};

	const write = async (state: SaveState, overwrite: boolean) => {
		const path = state.line.text.trim();
		let content: {lines: string[]; unit: string};
		if (state.what === 'policy') {
			const draft = policyRef.current ? draftOf(policyRef.current) : undefined;
			if (!draft?.ok) {
				setSave(undefined);
				return;
			}

			content = {lines: draft.yaml.replace(/\n$/, '').split('\n'), unit: 'lines of policy'};
		} else content = viewLines();

		setSave({...state, writing: true, error: undefined});
		const result = await saveLines(path, content.lines, overwrite);
		if (result.ok) {
			setSave(undefined);
			say(`wrote ${result.lines.toLocaleString('en-US')} ${content.unit} (${byteSize(result.bytes)}) to ${result.path}`);
		} else if (result.exists) {
			setSave({...state, exists: result.path, writing: false});
		} else {
			// The prompt stays open with the name and the reason, to fix it or Esc.
			setSave({...state, writing: false, error: sanitize(result.error)});
			say(result.error, true);
		}
	};

	const actions = {
		copyEvent(event: MonitorEvent | undefined) {
			if (!event) say('no event selected to copy', true);
			else copyText(jsonLine(event.fields), `event #${event.seq} as JSON`);
		},
		toggleRaw() {
			setRaw(current => !current);
		},
		openPolicy(event: MonitorEvent | undefined) {
			if (!event) {
				say('no event selected to draft a policy from', true);
				return;
			}

			const state: PolicyState = {event, action: defaultAction(event), scroll: 0};
			const draft = draftOf(state);
			if (draft.ok) setPolicy(state);
			else say(draft.reason, true);
		},
		closePolicy() {
			setPolicy(undefined);
		},
		nextAction() {
			setPolicy(current => current && {...current, action: policyActions[(policyActions.indexOf(current.action) + 1) % policyActions.length]!});
		},
		scrollPolicy(delta: number, max: number) {
			setPolicy(current => current && {...current, scroll: Math.max(0, Math.min(max, current.scroll + delta))});
		},
		copyPolicy() {
			const draft = policyRef.current && draftOf(policyRef.current);
			if (draft?.ok) copyText(draft.yaml, `the ${policyRef.current!.action} policy`);
		},
		openSave(what: SaveState['what']) {
			const name = defaultSaveName(clock());
			setSave({what, line: lineOf(what === 'policy' ? name.replace(/\.ndjson$/, '.yaml') : name)});
		},
		editSave(edit: LineEdit) {
			setSave(current => (current && !current.writing ? {...current, line: editLine(current.line, edit), error: undefined} : current));
		},
		submitSave() {
			const state = saveRef.current;
			if (!state || state.writing) return;
			if (state.line.text.trim() === '') {
				say('a file name is needed (Esc to not save)', true);
				return;
			}

			void write(state, false);
		},
		cancelSave() {
			setSave(undefined);
		},
		/** The file exists: y replaces it, n goes back to the name. */
		answerOverwrite(replace: boolean) {
			const state = saveRef.current;
			if (!state?.exists) return;
			if (replace) void write({...state, exists: undefined}, true);
			else setSave({...state, exists: undefined});
		},
	};

	// Drafted when the event or the action changes (a new PolicyState), not on every frame the stream draws.
	const policy = policyRef.current;
	const draft = useMemo(() => (policy ? draftOf(policy) : undefined), [policy]);

	return {
		notice: noticeRef.current,
		save: saveRef.current,
		policy,
		draft,
		raw: rawRef.current,
		saveOpen: () => saveRef.current !== undefined,
		confirmOpen: () => saveRef.current?.exists !== undefined,
		policyOpen: () => policyRef.current !== undefined,
		actions,
	};
}

/** The full path a name saves to, for the prompt. */
export function savePath(name: string): string {
	return resolve(name.trim() || '.');
}
