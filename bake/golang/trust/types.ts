export interface VerifiedSignature {
  /** Primary fingerprint of the trusted key that made the signature. */
  fingerprint: string;
  userId: string;
  /** Key id of the (sub)key that signed, upper-case hex as gpg prints it. */
  signingKeyId: string;
}
