import { Resource } from '../resource.js';
import type { Recommendations, RecommendationsParams } from '../types.js';

export class RecommendationsResource extends Resource {
  /** `GET /recommendations` (read:recommendations): your tracks most like the seed, seed excluded. */
  list(params: RecommendationsParams): Promise<Recommendations> {
    return this.client.get('/recommendations', params);
  }
}
