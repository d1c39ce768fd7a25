/**
 * A catalogue whose playlists follow planted groups that the audio features know nothing about:
 * features are uniform random, each playlist draws its tracks from one group. A model that learns
 * from playlists finds a held-out track's group-mates; features alone cannot.
 */
export const PLANTED = { tracks: 300, groups: 6, playlists: 60, playlistLength: 15 } as const;

/** mulberry32: a small seeded PRNG, so every run builds the same catalogue. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PlantedTrack {
  title: string;
  bpm: number;
  energy: number;
  danceability: number;
  valence: number;
}

export interface PlantedCatalogue {
  tracks: PlantedTrack[];
  /** Group of track i. */
  groupOf: number[];
  /** Each playlist as indices into `tracks`. */
  playlists: number[][];
}

export function plantedCatalogue(seed = 16): PlantedCatalogue {
  const random = seededRandom(seed);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const tracks = Array.from({ length: PLANTED.tracks }, (_, i) => ({
    title: `Planted ${i}`,
    bpm: Math.round(60 + random() * 120),
    energy: round(random()),
    danceability: round(random()),
    valence: round(random()),
  }));
  const groupOf = tracks.map((_, i) => i % PLANTED.groups);
  const members = Array.from({ length: PLANTED.groups }, (_, g) =>
    groupOf.flatMap((group, i) => (group === g ? [i] : [])),
  );
  const playlists = Array.from({ length: PLANTED.playlists }, (_, p) => {
    const pool = [...members[p % PLANTED.groups]];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, PLANTED.playlistLength);
  });
  return { tracks, groupOf, playlists };
}
