// Whether a policy's text names a string (a principal's ARN, say) anywhere: the access analysis
// asks it for every principal on every governed resource, thousands of searches of one text. An
// ARN begins with "arn:", so it can only occur where "arn:" does: the text's slices at those
// places, one set per length asked, answer each question with a lookup. Other strings are searched.
export function mentionsIn(text: string): (s: string) => boolean {
  const starts: number[] = [];
  for (let i = text.indexOf("arn:"); i !== -1; i = text.indexOf("arn:", i + 1)) starts.push(i);
  const slicesByLength = new Map<number, Set<string>>();
  return (s) => {
    if (!s.startsWith("arn:")) return text.includes(s);
    let slices = slicesByLength.get(s.length);
    if (!slices) slicesByLength.set(s.length, (slices = new Set(starts.map((i) => text.slice(i, i + s.length)))));
    return slices.has(s);
  };
}
