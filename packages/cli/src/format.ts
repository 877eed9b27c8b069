import Table from 'cli-table3';

type TableOptions = NonNullable<ConstructorParameters<typeof Table>[0]>;

/**
 * A table for the terminal: bold headers and grey borders on a terminal, no colour codes at
 * all when the output goes to a pipe or a file.
 */
export function terminalTable(options: TableOptions): Table.Table {
  const colour = Boolean(process.stdout.isTTY);
  return new Table({
    ...options,
    style: { head: colour ? ['bold'] : [], border: colour ? ['grey'] : [] },
  });
}

/** `1 file`, `2 files`. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
