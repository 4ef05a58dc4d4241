import { unsupportedMediaType } from './errors.ts';
import type { KubeObject } from './types.ts';

/** The content type of Kubernetes' protobuf encoding, which kubectl 1.32 uses for typed `create` requests. */
export const protobufContentType = 'application/vnd.kubernetes.protobuf';

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Field {
  number: number;
  /** The bytes of a length-delimited field; undefined for varints and fixed-width fields. */
  bytes?: Buffer;
}

/** Splits one protobuf message into its fields. */
function readFields(buffer: Buffer): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = buffer[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
    }
  };

  while (offset < buffer.length) {
    const key = varint();
    const wireType = key & 7;
    const number = Math.floor(key / 8);
    if (wireType === 0) {
      varint();
      fields.push({ number });
    } else if (wireType === 2) {
      const length = varint();
      fields.push({ number, bytes: buffer.subarray(offset, offset + length) });
      offset += length;
    } else if (wireType === 1 || wireType === 5) {
      offset += wireType === 1 ? 8 : 4;
      fields.push({ number });
    } else {
      throw new Error(`unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

function text(field: Field | undefined): string | undefined {
  return field?.bytes?.toString('utf8');
}

function stringMap(fields: Field[], number: number): Record<string, string> | undefined {
  const entries = fields.filter((field) => field.number === number && field.bytes);
  if (entries.length === 0) return undefined;
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const parts = readFields(entry.bytes!);
    map[text(parts.find((part) => part.number === 1)) ?? ''] = text(parts.find((part) => part.number === 2)) ?? '';
  }
  return map;
}

function objectMeta(bytes: Buffer | undefined): KubeObject['metadata'] {
  const fields = bytes ? readFields(bytes) : [];
  const metadata: KubeObject['metadata'] = {};
  const name = text(fields.find((field) => field.number === 1));
  const generateName = text(fields.find((field) => field.number === 2));
  const namespace = text(fields.find((field) => field.number === 3));
  if (name) metadata.name = name;
  if (generateName) metadata.generateName = generateName;
  if (namespace) metadata.namespace = namespace;
  const labels = stringMap(fields, 11);
  const annotations = stringMap(fields, 12);
  if (labels) metadata.labels = labels;
  if (annotations) metadata.annotations = annotations;
  return metadata;
}

/**
 * Decodes a protobuf request body for the kinds that `kubectl create`
 * sends that way and the simulator can read without the generated Go
 * types: Namespaces (metadata only) and ConfigMaps (metadata and data).
 * Raises 415 for other kinds, naming `kubectl apply` (which sends JSON) as
 * the way to create them.
 */
export function decodeProtobufObject(body: Buffer): KubeObject {
  const unsupported = (detail: string) => {
    const error = unsupportedMediaType(protobufContentType, ['application/json', 'application/yaml']);
    error.message = `${detail}; the simulator reads protobuf only for Namespaces and ConfigMaps, so create this object with kubectl apply, which sends JSON`;
    return error;
  };
  if (!body.subarray(0, 4).equals(magic)) throw unsupported('the protobuf body lacks the k8s envelope');

  let envelope: Field[];
  try {
    envelope = readFields(body.subarray(4));
  } catch (error) {
    throw unsupported(`the protobuf body does not parse: ${(error as Error).message}`);
  }
  const typeMeta = readFields(envelope.find((field) => field.number === 1)?.bytes ?? Buffer.alloc(0));
  const apiVersion = text(typeMeta.find((field) => field.number === 1)) ?? '';
  const kind = text(typeMeta.find((field) => field.number === 2)) ?? '';
  const raw = readFields(envelope.find((field) => field.number === 2)?.bytes ?? Buffer.alloc(0));

  const object: KubeObject = { apiVersion, kind, metadata: objectMeta(raw.find((field) => field.number === 1)?.bytes) };
  if (apiVersion === 'v1' && kind === 'Namespace') return object;
  if (apiVersion === 'v1' && kind === 'ConfigMap') {
    const data = stringMap(raw, 2);
    if (data) object.data = data;
    return object;
  }
  throw unsupported(`a protobuf ${kind || 'object'} body`);
}
