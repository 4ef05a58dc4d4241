/** An annotation a step wrote with `::error`, `::warning` or `::notice`. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

/** A step's stdout, split as the runner reads it. */
export interface ParsedStdout {
  annotations: Annotation[];
  /** Values registered with `::add-mask::`. */
  masks: string[];
  debug: string[];
  /** Lines that are not workflow commands: the visible log. */
  log: string[];
}

const commandPattern = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/;

/** Reverses the runner's escaping of command data. */
export function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return unescapeData(text.replace(/%3A/g, ':').replace(/%2C/g, ','));
}

/** Splits a step's stdout into annotations, masks, debug lines and the plain log. */
export function parseStdout(stdout: string): ParsedStdout {
  const parsed: ParsedStdout = { annotations: [], masks: [], debug: [], log: [] };

  for (const line of stdout.split(/\r?\n/)) {
    const match = commandPattern.exec(line);
    if (!match) {
      if (line !== '') parsed.log.push(line);
      continue;
    }

    const [, command = '', rawProperties = '', data = ''] = match;
    const message = unescapeData(data);
    if (command === 'error' || command === 'warning' || command === 'notice') {
      parsed.annotations.push({ level: command, message, properties: parseProperties(rawProperties) });
    } else if (command === 'add-mask') {
      parsed.masks.push(message);
    } else if (command === 'debug') {
      parsed.debug.push(message);
    } else {
      parsed.log.push(line);
    }
  }
  return parsed;
}

function parseProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const separator = pair.indexOf('=');
    if (separator > 0) properties[pair.slice(0, separator)] = unescapeProperty(pair.slice(separator + 1));
  }
  return properties;
}
