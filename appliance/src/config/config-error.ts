/**
 * A setting leakwatch cannot start with. The message names the setting, where its value came from
 * (the config file's path, `environment VAR`, or `default`), what is wrong and what to do;
 * `leakwatch start` prints it and exits 2.
 */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly setting?: string,
    readonly source?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
