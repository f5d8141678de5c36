# run server with nvp tracing, print scavenge phases summary
