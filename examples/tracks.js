// The guide's Node.js example, runnable: TUNETRAIL_API_KEY=tt_... node examples/tracks.js
// (TUNETRAIL_API_URL picks the service; default https://api.tunetrail.dev). Prints every track of the account.
const TuneTrail = require('tunetrail-sdk');

async function main() {
  const client = new TuneTrail({
    apiKey: process.env.TUNETRAIL_API_KEY,
  });

  const tracks = await client.tracks.list();
  console.log(`${tracks.total} tracks`);
  // Iterating the first page walks every page.
  for await (const track of tracks) console.log(`${track.title} - ${track.artist}`);
}

main().catch((error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
});
