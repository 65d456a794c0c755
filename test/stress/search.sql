-- The k nearest rows to a random query by the index's operator (:op), which
-- must come back complete and in distance order (stress_check_knn).
SELECT stress_check_knn(ARRAY(SELECT v :op q FROM stress_items ORDER BY v :op q LIMIT :k), :k)
FROM (SELECT stress_vec() AS q) s;
