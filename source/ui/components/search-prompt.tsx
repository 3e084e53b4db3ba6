import {Box, Text} from 'ink';
import {sanitize} from '../../model/sanitize.js';
import type {PromptState} from '../hooks/use-filter.js';

type Props = {prompt: PromptState; columns: number};

/** The `/` prompt at the bottom, as in less and vim; an invalid query shows what is wrong under it. */
export function SearchPrompt({prompt, columns}: Props) {
	const text = sanitize(prompt.text);
	return (
		<Box flexDirection="column" width={columns}>
			<Text wrap="truncate-start">
				<Text color="cyan" bold>
					/
				</Text>
				{text}
				<Text inverse> </Text>
				<Text dimColor>{'   '}Enter keep · Esc restore · ↑↓ history</Text>
			</Text>
			{prompt.error ? (
				<Text color="red" wrap="truncate-end">
					{' '.repeat(Math.min(prompt.error.position + 1, Math.max(0, columns - 10)))}^ {sanitize(prompt.error.message)}
				</Text>
			) : null}
		</Box>
	);
}
