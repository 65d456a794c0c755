-- A random live row gets a new vector (the index gets a new entry, the old
-- one dies with the old tuple version).
UPDATE stress_items SET v = stress_vec() WHERE id = (SELECT stress_pick());
