/** Console output for CLI commands, injectable so tests can capture it. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTty: boolean;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  isTty: Boolean(process.stderr.isTTY),
};
