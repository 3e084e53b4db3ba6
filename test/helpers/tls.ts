import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export /** A self-signed certificate for 127.0.0.1, made by openssl at test time; undefined when openssl is missing. */
function makeCertificate(): {cert: Buffer; key: Buffer} | undefined {
	const directory = mkdtempSync(join(tmpdir(), 'armorwatch-tls-'));
	try {
		execFileSync(
			'openssl',
			[
				'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
				'-keyout', join(directory, 'key.pem'), '-out', join(directory, 'cert.pem'),
				'-days', '2', '-subj', '/CN=armorwatch test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
			],
			{stdio: 'ignore', timeout: 10_000},
		);
		return {cert: readFileSync(join(directory, 'cert.pem')), key: readFileSync(join(directory, 'key.pem'))};
	} catch {
		return undefined;
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}
