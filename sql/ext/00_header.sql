-- vector_ext extension script, assembled from sql/ext/*.sql in name order.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION vector_ext" to load this file. \quit
