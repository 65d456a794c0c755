SELECT extname FROM pg_extension WHERE extname = 'vector_ext';
