// Setup file of the integration project, run before each test file: the files share one module registry
// per worker (isolate: false), so the CLI's throwaway data folder is renewed here, not at import.
import { renewTestDataDir } from './cli';

renewTestDataDir();
