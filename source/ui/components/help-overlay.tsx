import {Box, Text} from 'ink';
import {keymap} from '../keymap.js';
import {Pane} from './pane.js';

type Props = {width: number; height: number};

/** The keys, generated from the same keymap table that handles input. */
export function HelpOverlay({width, height}: Props) {
	const keyWidth = Math.max(...keymap.map(binding => binding.label.length)) + 2;
	// Bindings without a label are the second half of a pair described on the line before (↑ ↓).
	const shown = keymap.filter(binding => binding.label !== '');
	const contextTitle = {main: '', prompt: 'in the / prompt', picker: 'in a picker'} as const;
	return (
		<Pane title="Help: keys (Esc or ? to close)" width={width} height={height} focused>
			{shown.map((binding, index) => {
				const context = binding.context ?? 'main';
				const first = context !== 'main' && (shown[index - 1]?.context ?? 'main') !== context;
				return (
					<Box key={`${context}-${binding.command}`} paddingX={1} flexDirection="column">
						{first ? <Text dimColor>{contextTitle[context]}</Text> : null}
						<Text wrap="truncate">
							<Text bold color="cyan">
								{binding.label.padEnd(keyWidth)}
							</Text>
							{binding.help}
						</Text>
					</Box>
				);
			})}
			<Box paddingX={1} marginTop={1}>
				<Text dimColor wrap="truncate">
					Following: the selection stays on the newest event; move away and the list freezes with an N new badge.
				</Text>
			</Box>
		</Pane>
	);
}
