-- A random live row goes.
DELETE FROM stress_items WHERE id = (SELECT stress_pick());
