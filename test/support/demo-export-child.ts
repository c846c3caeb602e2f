// A console run that asks for the demo export and then exits without closing the backend (a quit that
// skipped cleanup): prints the export folder on stdout and exits 0.
import { DemoSiteRunner } from '../../electron/app/demo-site-runner';

async function main(): Promise<void> {
  const runner = await DemoSiteRunner.start({ exportRoot: process.argv[2]! });
  const dir = await runner.writeExport();
  process.stdout.write(`${dir}\n`, () => process.exit(0));
}

void main();
