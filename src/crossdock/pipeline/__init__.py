"""The message pipeline: intake, translate, route, and the job queue that runs the steps."""
