"""The guide's Python example, runnable: TUNETRAIL_API_KEY=tt_... python3 examples/tracks.py

TUNETRAIL_API_URL picks the service (default https://api.tunetrail.dev). Prints every track of the account.
"""

import os
import sys

from tunetrail import TuneTrail, TuneTrailError

client = TuneTrail(api_key=os.environ.get("TUNETRAIL_API_KEY"))
try:
    tracks = client.tracks.list()
except TuneTrailError as error:
    sys.exit(f"{type(error).__name__}: {error}")

print(f"{tracks.total} tracks")
# Iterating the first page walks every page.
for track in tracks:
    print(f"{track['title']} - {track['artist']}")
