// Usher's version, from package.json (inlined by the bundler): HAR files name the tool that wrote them.
import packageJson from '../../package.json';

export const USHER_VERSION: string = packageJson.version;
