import {Box, Text} from 'ink';
import {sanitize} from '../../model/sanitize.js';
import {compact, fit} from '../format.js';
import type {PickerItem} from '../picker-items.js';
import {Pane} from './pane.js';

type Props = {
	title: string;
	text: string;
	items: PickerItem[];
	selected: number;
	width: number;
	height: number;
};

/** A fuzzy-searchable list of values with their counts; Enter picks, Esc closes. */
export function Picker({title, text, items, selected, width, height}: Props) {
	const rows = Math.max(1, height - 4);
	const start = selected < rows ? 0 : selected - rows + 1;
	const countWidth = 8;
	return (
		<Pane title={title} width={width} height={height} focused>
			<Box paddingX={1}>
				<Text wrap="truncate">
					<Text color="cyan">search: </Text>
					{sanitize(text)}
					<Text inverse> </Text>
				</Text>
			</Box>
			{items.length === 0 ? (
				<Box paddingX={1}>
					<Text dimColor>nothing matches</Text>
				</Box>
			) : (
				items.slice(start, start + rows).map((item, index) => (
					<Box key={item.value} paddingX={1}>
						<Text inverse={start + index === selected} wrap="truncate">
							{start + index === selected ? '›' : ' '}
							{fit(sanitize(item.value), Math.max(1, width - 6 - countWidth))}
							{compact(item.count).padStart(countWidth)}
						</Text>
					</Box>
				))
			)}
		</Pane>
	);
}
