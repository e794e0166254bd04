/** When every listed model was "created": the catalog does not know when providers released models. */
export const MODELS_CREATED = 1_700_000_000;

/** One entry of the model list, in OpenAI's format plus the gateway's fields. */
export interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  provider: string;
  [field: string]: unknown;
}
