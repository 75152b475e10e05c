/**
 * The `validate` command as `main` loads it. The build replaces this module's output with one file holding the
 * command and everything it imports from this package (bundled with esbuild; packages stay imports): a 46 MB
 * validation starts about a tenth of a second sooner without loading some 80 modules one by one, the time `validate`
 * spends before its first object. Run from the sources, it is this re-export.
 */
export { runValidate, VALIDATE_HELP } from './validate.js';
