import {Box, Text} from 'ink';

type Props = {columns: number; rows: number; minColumns: number; minRows: number};

/** Instead of a garbled screen: the terminal's size, the size the monitor needs, and how to leave. */
export function TooSmall({columns, rows, minColumns, minRows}: Props) {
	return (
		<Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)} overflow="hidden">
			<Text wrap="wrap">
				{`Terminal too small (${columns}x${rows}): armorwatch needs at least ${minColumns}x${minRows}. Events keep counting; q quits.`}
			</Text>
		</Box>
	);
}
