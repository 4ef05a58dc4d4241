import { generateKeyPairSync, randomBytes } from 'node:crypto';

import forge from 'node-forge';

/** A self-signed certificate and its private key, both PEM. */
export interface SelfSignedCertificate {
  cert: string;
  key: string;
}

/**
 * Generates a self-signed certificate for 127.0.0.1 and localhost, valid for
 * a day. The key comes from Node's crypto, which is much faster than
 * node-forge's JavaScript RSA; node-forge only builds and signs the certificate.
 */
export function generateSelfSignedCertificate(): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKey);
  certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const subject = [{ name: 'commonName', value: 'atom-demo-self-signed' }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());

  return { cert: forge.pki.certificateToPem(certificate), key: privateKey };
}
