import type { Page } from '../pagination.js';
import { path, Resource } from '../resource.js';
import type {
  AudioFeatures,
  CreateTrackParams,
  ListTracksParams,
  SetAudioFeaturesParams,
  Track,
  UpdateTrackParams,
} from '../types.js';

/** A recording to analyse: the file's bytes and its media type (`audio/wav`, `audio/mpeg`, ...). */
export type AudioUpload = Blob | ArrayBuffer | ArrayBufferView;

export class AudioFeaturesResource extends Resource {
  /** `GET /tracks/{id}/audio-features` (read:audio_features, Starter+). */
  get(trackId: string): Promise<AudioFeatures> {
    return this.client.get(path`/tracks/${trackId}/audio-features`);
  }

  /** `PUT /tracks/{id}/audio-features` (write:audio_features, Starter+): sets them all by hand. */
  set(trackId: string, features: SetAudioFeaturesParams): Promise<AudioFeatures> {
    return this.client.put(path`/tracks/${trackId}/audio-features`, features);
  }

  /**
   * `POST /tracks/{id}/audio` (write:audio_features, Starter+): computes the features from a recording.
   * `contentType` defaults to the Blob's type, else `audio/wav`.
   */
  analyze(trackId: string, audio: AudioUpload, contentType?: string): Promise<AudioFeatures> {
    const type = contentType ?? (audio instanceof Blob && audio.type ? audio.type : 'audio/wav');
    return this.client.request('POST', path`/tracks/${trackId}/audio`, {
      rawBody: { data: audio as BodyInit, contentType: type },
    });
  }
}

export class TracksResource extends Resource {
  readonly audioFeatures = new AudioFeaturesResource(this.client);

  /** `GET /tracks` (read:tracks): the first page; `for await` over it walks every track. */
  list(params: ListTracksParams = {}): Promise<Page<Track>> {
    return this.client.list('/tracks', params);
  }

  /** `GET /tracks/{id}` (read:tracks). */
  get(id: string): Promise<Track> {
    return this.client.get(path`/tracks/${id}`);
  }

  /** `POST /tracks` (write:tracks). */
  create(track: CreateTrackParams): Promise<Track> {
    return this.client.post('/tracks', track);
  }

  /** `PATCH /tracks/{id}` (write:tracks). */
  update(id: string, changes: UpdateTrackParams): Promise<Track> {
    return this.client.patch(path`/tracks/${id}`, changes);
  }

  /** `DELETE /tracks/{id}` (delete:tracks). */
  delete(id: string): Promise<void> {
    return this.client.delete(path`/tracks/${id}`);
  }
}
