// The proof's own errors. Anything verify cannot read or use is a VerifyInputError (exit 2, with a
// message that names what and where), never a stack trace and never a silent pass.
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerifyInputError";
  }
}
