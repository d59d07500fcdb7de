/**
 * The terminal prompts kadm uses, for commands to import() when they ask. They come from their own
 * packages: @inquirer/prompts, which re-exports them, put every prompt it has in the bundle, the
 * editor prompt with its encoding tables (iconv-lite, chardet) among them: a quarter of
 * the bundle that every kadm command read from disk and parsed into its code cache.
 */
export {default as confirm} from '@inquirer/confirm'
export {default as input} from '@inquirer/input'
export {default as password} from '@inquirer/password'
export {default as search} from '@inquirer/search'
export {default as select} from '@inquirer/select'
