import {Box, Text} from 'ink';
import {keymap} from '../keymap.js';
import {Pane} from './pane.js';

type Props = {width: number; height: number};

/** The keys, generated from the same keymap table that handles input. */
export function HelpOverlay({width, height}: Props) {
	const keyWidth = Math.max(...keymap.map(binding => binding.label.length)) + 2;
	return (
		<Pane title="Help: keys (Esc or ? to close)" width={width} height={height} focused>
			{keymap.map(binding => (
				<Box key={binding.command} paddingX={1}>
					<Text wrap="truncate">
						<Text bold color="cyan">
							{binding.label.padEnd(keyWidth)}
						</Text>
						{binding.help}
					</Text>
				</Box>
			))}
			<Box paddingX={1} marginTop={1}>
				<Text dimColor wrap="truncate">
					Following: the selection stays on the newest event; move away and the list freezes with an N new badge.
				</Text>
			</Box>
		</Pane>
	);
}
