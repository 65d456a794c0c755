-- vector_ext upgrade 0.1.0 -> 0.2.0, hand-written part: changes to objects that
-- 0.1.0 created (e.g. DROP FUNCTION of an old signature, ALTER ...). The Makefile
-- appends every sql/ext part whose first line is "-- since 0.2.0" after this file.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION vector_ext UPDATE TO '0.2.0'" to load this file. \quit

-- vector_ext_index_info: new result columns (dead_elements, structure, quantizer).
DROP FUNCTION vector_ext_index_info(regclass);
