import {Text} from 'ink';
import {highlight, highlightParts, type HighlightSpec} from '../../query/index.js';

type Props = {
	text: string;
	spec: HighlightSpec | undefined;
	/** Only what the query says about this field (detail pane); all of it when absent (list rows). */
	field?: string;
};

/** Text with the filter's matches marked. The text must already be sanitized and sized. */
export function Marked({text, spec, field}: Props) {
	const ranges = spec ? highlight(text, spec, field) : [];
	if (ranges.length === 0) return <>{text}</>;
	return (
		<>
			{highlightParts(text, ranges).map((part, index) =>
				part.match ? (
					// eslint-disable-next-line react/no-array-index-key
					<Text key={index} backgroundColor="yellow" color="black">
						{part.text}
					</Text>
				) : (
					part.text
				),
			)}
		</>
	);
}
