export declare const MALLOC_SETTINGS: Readonly<Record<string, string>>;
export declare function serverEnvironment(
  env?: Record<string, string | undefined>,
): Record<string, string | undefined>;
