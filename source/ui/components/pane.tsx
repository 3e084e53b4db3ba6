import {Box} from 'ink';
import type {ReactNode} from 'react';
import {focusColor} from '../theme.js';
import {columns, ellipsize} from '../format.js';
import {bold, paint} from '../paint.js';
import {Line} from './line.js';

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
	const label = ellipsize(` ${title} `, Math.max(0, width - 3));
	const top = `┌${label}${'─'.repeat(Math.max(0, width - 2 - columns(label)))}┐`;
	return (
		<Box flexDirection="column" width={width} height={height} flexShrink={0}>
			<Line width={width}>{focused ? bold(paint(color, top)) : paint(color, top)}</Line>
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
