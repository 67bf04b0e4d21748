/**
 * One step of a decode chain. `codec` names what was undone (`base64`, `gzip`, `json`);
 * `at` says where inside the input the next value was taken (`data_list`, `$[0].properties.url`).
 * Rendered as `codec:at`, and a chain as `form:data_list → base64 → gzip → json:$[0].properties.url`.
 */
export interface DecodeStep {
  codec: string;
  at?: string;
}
