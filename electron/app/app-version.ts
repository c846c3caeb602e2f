// Usher's version, from package.json: HAR files name the tool that wrote them. A named import, so the
// bundler inlines the version alone rather than the whole manifest.
import { version } from '../../package.json';

export const USHER_VERSION: string = version;
