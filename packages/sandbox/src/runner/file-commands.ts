/**
 * Parses the files the runner hands to a step (`GITHUB_OUTPUT`,
 * `GITHUB_STATE`, `GITHUB_ENV`): lines `name=value`, or the multi-line form
 * `name<<DELIMITER`, the value's lines, then `DELIMITER` alone on a line.
 */
export function parseKeyValueFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split(/\r?\n/);

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line === '') continue;

    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const valueLines: string[] = [];
      index++;
      while (index < lines.length && lines[index] !== delimiter) valueLines.push(lines[index++] ?? '');
      if (index >= lines.length) throw new Error(`Unterminated value for "${name}": delimiter ${delimiter} not found`);
      result[name] = valueLines.join('\n');
      continue;
    }

    const separator = line.indexOf('=');
    if (separator <= 0) throw new Error(`Invalid line in a runner file: ${JSON.stringify(line)}`);
    result[line.slice(0, separator)] = line.slice(separator + 1);
  }
  return result;
}
