import {policyActions, type PolicyDraft} from '../../act/policy-draft.js';
import {sanitize} from '../../model/sanitize.js';
import type {PolicyState} from '../hooks/use-act.js';
import {bold, colour, dim, fitSpans, paint} from '../paint.js';
import {Line} from './line.js';
import {Pane} from './pane.js';

type Props = {policy: PolicyState; draft: PolicyDraft; width: number; height: number};

/** Rows of the draft's YAML (the YAML escapes what it carries; sanitized again for the terminal). */
export function policyRows(draft: PolicyDraft): string[] {
	return draft.ok ? draft.yaml.replace(/\n$/, '').split('\n').map(line => sanitize(line)) : [sanitize(draft.reason)];
}

/** The policy drafted from the selected alert, with its action chosen by Tab; y copies it, w saves it. */
export function PolicyPane({policy, draft, width, height}: Props) {
	const inner = width - 2;
	const rows = policyRows(draft);
	const visible = Math.max(0, height - 3);
	const top = Math.max(0, Math.min(policy.scroll, rows.length - visible));
	const actions = fitSpans(
		[
			[' action: '],
			...policyActions.map(action => [action === policy.action ? `[${action}] ` : ` ${action}  `, action === policy.action ? (text: string) => bold(paint('cyan', text)) : dim] as const),
			['  Tab action · y copy · w save · Esc close', dim],
		],
		inner,
	);
	return (
		<Pane title={`Policy draft from event #${policy.event.seq}`} width={width} height={height} focused>
			<Line width={inner}>{actions}</Line>
			{rows.slice(top, top + visible).map((row, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Line key={index} width={inner}>
					{fitSpans([[row, row.startsWith('#') ? dim : colour('white')]], inner)}
				</Line>
			))}
		</Pane>
	);
}
