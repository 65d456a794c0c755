-- A new row from the base set's distribution.
INSERT INTO stress_items (v) VALUES (stress_vec());
