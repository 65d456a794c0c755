-- Shared by the stress scripts (test/t/160_stress.pl): a generator of vectors
-- around random cluster centres, a picker of random live rows and the check
-- every search runs. Clustered data gives the approximate indexes structure to
-- find, and rows inserted during the run follow the base set's distribution,
-- so recall before and after the run measure the same thing.
SET check_function_bodies = off;  -- stress_items is created per configuration

CREATE TABLE stress_centers (c int PRIMARY KEY, v real[] NOT NULL);

-- stress_make_centers(dims, n): n cluster centres drawn uniformly in [-1, 1]^dims.
CREATE FUNCTION stress_make_centers(dims int, n int) RETURNS void LANGUAGE sql AS $$
  TRUNCATE stress_centers;
  INSERT INTO stress_centers
    SELECT c, ARRAY(SELECT (random() * 2 - 1)::real FROM generate_series(1, dims) WHERE c >= 0)
    FROM generate_series(0, n - 1) c;
$$;

-- stress_vec(): a random centre plus Gaussian noise (Box-Muller, sigma 0.5).
CREATE FUNCTION stress_vec() RETURNS vector LANGUAGE sql VOLATILE AS $$
  SELECT ARRAY(SELECT x + 0.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())
               FROM unnest((SELECT v FROM stress_centers ORDER BY c
                            OFFSET floor(random() * (SELECT count(*) FROM stress_centers)) LIMIT 1))
                    WITH ORDINALITY u(x, i)
               ORDER BY i)::vector
$$;

-- stress_pick(): the first live id at or above a random point of [1, max(id)].
CREATE FUNCTION stress_pick() RETURNS bigint LANGUAGE sql VOLATILE AS $$
  SELECT id FROM stress_items
  WHERE id >= (SELECT floor(random() * max(id))::bigint + 1 FROM stress_items)
  ORDER BY id LIMIT 1
$$;

-- stress_trim(n, high): retention; once the table holds more than high rows,
-- the oldest beyond n go. Between trims the table, and so the index, grows
-- (inserts outnumber deletes), which is when inserts add pages while VACUUM runs.
CREATE FUNCTION stress_trim(n bigint, high bigint) RETURNS void LANGUAGE sql AS $$
  DELETE FROM stress_items WHERE id IN
    (SELECT id FROM stress_items ORDER BY id
     LIMIT (SELECT CASE WHEN count(*) > high THEN count(*) - n ELSE 0 END FROM stress_items));
$$;

-- stress_check_knn(distances): an index search must return k rows in
-- non-decreasing distance order (every configuration here returns exact
-- order: 1x codes, or quantized codes rescored); anything else is an error
-- that makes the pgbench client, and so the run, fail.
CREATE FUNCTION stress_check_knn(d float8[], k int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(d) IS DISTINCT FROM k THEN
    RAISE EXCEPTION 'stress: search returned % rows, not %', coalesce(cardinality(d), 0), k;
  END IF;
  FOR i IN 2 .. k LOOP
    IF d[i] < d[i - 1] THEN
      RAISE EXCEPTION 'stress: search row % is nearer than row % (% < %)', i, i - 1, d[i], d[i - 1];
    END IF;
  END LOOP;
END $$;
