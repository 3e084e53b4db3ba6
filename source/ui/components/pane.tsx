import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {focusColor} from '../theme.js';
import {clip} from '../format.js';

type Props = {
	title: string;
	width: number;
	height: number;
	focused: boolean;
	children: ReactNode;
};

/** A bordered pane with its title in the top border: ┌ Title ─────┐. */
export function Pane({title, width, height, focused, children}: Props) {
	const color = focused ? focusColor : 'gray';
	const label = clip(` ${title} `, Math.max(0, width - 3));
	const top = `┌${label}${'─'.repeat(Math.max(0, width - 2 - label.length))}┐`;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<Text color={color} bold={focused} wrap="truncate">
				{top}
			</Text>
			<Box
				flexDirection="column"
				borderStyle="single"
				borderTop={false}
				borderColor={color}
				width={width}
				height={height - 1}
				// Rows are already cut to width; clipping only vertically spares ink re-slicing every line.
				overflowY="hidden"
			>
				{children}
			</Box>
		</Box>
	);
}
