import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

import forge from 'node-forge';

/** The PEM material the HTTPS server and its clients need. */
export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const day = 24 * 60 * 60 * 1000;
const asn1 = forge.asn1;
const ecdsaWithSha256 = '1.2.840.10045.4.3.2';

interface KeyPair {
  privateKey: KeyObject;
  /** DER of the SubjectPublicKeyInfo. */
  spki: Buffer;
}

/** Generates an ECDSA P-256 key pair, which takes about a millisecond where RSA takes hundreds. */
function newKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, spki: publicKey.export({ type: 'spki', format: 'der' }) };
}

/**
 * Builds and signs an X.509 v3 certificate. node-forge encodes the names,
 * validity and extensions, but it only supports RSA keys, so the
 * SubjectPublicKeyInfo and the ECDSA signature algorithm are put into its
 * TBSCertificate by hand, and Node's crypto signs it.
 */
function issueCertificate(options: {
  subject: string;
  issuer: string;
  subjectKeys: KeyPair;
  signerKey: KeyObject;
  extensions: unknown[];
}): string {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('3'), new forge.jsbn.BigInteger('3'));
  certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
  certificate.validity.notBefore = new Date(Date.now() - day);
  certificate.validity.notAfter = new Date(Date.now() + 365 * day);
  certificate.setSubject([{ name: 'commonName', value: options.subject }]);
  certificate.setIssuer([{ name: 'commonName', value: options.issuer }]);
  certificate.setExtensions(options.extensions as object[]);
  // forge needs an algorithm to encode; it is replaced by ECDSA with SHA-256 below.
  certificate.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;

  const tbs = (forge.pki as typeof forge.pki & { getTBSCertificate(certificate: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(certificate);
  const fields = tbs.value as forge.asn1.Asn1[];
  // TBSCertificate: version, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, extensions.
  fields[2] = algorithmIdentifier();
  fields[6] = asn1.fromDer(forge.util.createBuffer(options.subjectKeys.spki.toString('binary')));

  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = sign('sha256', tbsDer, options.signerKey);
  const whole = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    algorithmIdentifier(),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${signature.toString('binary')}`),
  ]);
  return forge.pem.encode({ type: 'CERTIFICATE', body: asn1.toDer(whole).getBytes() });
}

function algorithmIdentifier(): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(ecdsaWithSha256).getBytes()),
  ]);
}

/** Returns the key identifier of a public key: SHA-1 of the SubjectPublicKeyInfo DER, as raw bytes in a binary string. */
function keyIdentifier(keys: KeyPair): string {
  return createHash('sha1').update(keys.spki).digest().toString('binary');
}

function subjectKeyIdentifier(keys: KeyPair): object {
  return { name: 'subjectKeyIdentifier', value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, keyIdentifier(keys)) };
}

/**
 * Generates a certificate authority and a server certificate signed by it
 * for `127.0.0.1`, `::1` and `localhost`, so clients connect with TLS
 * verification on. Keys (ECDSA P-256) and certificates are new for every
 * call and valid for a year.
 */
export function generateTlsMaterial(): TlsMaterial {
  const caKeys = newKeyPair();
  const serverKeys = newKeyPair();
  const caName = 'atom-actions-kube-simulator-ca';

  const caPem = issueCertificate({
    subject: caName,
    issuer: caName,
    subjectKeys: caKeys,
    signerKey: caKeys.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      subjectKeyIdentifier(caKeys),
    ],
  });
  const certPem = issueCertificate({
    subject: 'kube-apiserver',
    issuer: caName,
    subjectKeys: serverKeys,
    signerKey: caKeys.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      subjectKeyIdentifier(serverKeys),
      { name: 'authorityKeyIdentifier', keyIdentifier: keyIdentifier(caKeys) },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });

  const keyPem = serverKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { caPem, certPem, keyPem };
}
