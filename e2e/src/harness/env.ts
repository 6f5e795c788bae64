/** The environment the scenarios read, here only: the PATH handed to the processes they start. */
export const CHILD_PATH = process.env.PATH ?? '';
