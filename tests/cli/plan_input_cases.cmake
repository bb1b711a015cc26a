# Malformed and unusual input files (issue 15): each case feeds the file and checks the exact message
# (file, line, column or id) and the exit code. PRESERVE: an output file that exists before a failing
# run must be byte-identical after it (nothing truncated, replaced or left behind).
set(IO ${CMAKE_CURRENT_BINARY_DIR}/input-out)
file(MAKE_DIRECTORY ${IO})
set(GA ${D}/plan_grid_accounts.csv)

# ---- encodings and line ends: a UTF-8 byte-order mark and CRLF are accepted; other encodings are not
territory_cli_case(input.bom_crlf 0 "accounts: 2 [(]x/y coordinates[)], activities: 1 [(]revenue[)]\nvalid: 0 problems"
  ARGS validate --accounts ${D}/input_bom_crlf_accounts.csv)
territory_cli_case(input.latin1 1 "input_latin1_accounts.csv:3: byte 2 [(]0xFC[)] is not valid UTF-8; the format is UTF-8"
  OUT ${IO}/latin1.csv PRESERVE ARGS plan --accounts ${D}/input_latin1_accounts.csv --territories 1 --out ${IO}/latin1.csv)

# ---- ragged rows, quoted fields with commas, quotes and line breaks
territory_cli_case(input.ragged_more_fields 1 "input_ragged_accounts.csv:3: record has 5 fields, expected 4 [(]as in the header[)]"
  OUT ${IO}/ragged.csv PRESERVE ARGS plan --accounts ${D}/input_ragged_accounts.csv --territories 1 --out ${IO}/ragged.csv)
# the record after a two-line quoted field starts on physical line 4, and the message says so
territory_cli_case(input.multiline_field_line_numbers 1 "input_multiline_bad_number.csv:4: column 'revenue': 'x2' is not a number [(]the column is numeric in 2 of 3 non-empty rows[)]"
  OUT ${IO}/multiline.csv PRESERVE ARGS plan --accounts ${D}/input_multiline_bad_number.csv --territories 1 --out ${IO}/multiline.csv)
territory_cli_case(input.no_final_newline 2 "input_no_final_newline.csv:4: duplicate_id: account id 'b' at row 2 repeats row 1"
  ARGS validate --accounts ${D}/input_no_final_newline.csv)

# ---- ids: 10 kB (abbreviated in messages), and ids with commas, quotes, line breaks and non-ASCII
# characters, which come back exactly (check_plan_cli.py reads the assignment with Python's csv module)
territory_cli_case(input.long_id_duplicate 1 "input_long_id_duplicate.csv:4: duplicate_id: account id 'L+[.][.][.] [(]10240 bytes[)]' at row 2 repeats row 0"
  OUT ${IO}/long_dup.csv PRESERVE ARGS plan --accounts ${D}/input_long_id_duplicate.csv --territories 1 --out ${IO}/long_dup.csv)
territory_checked_plan(input.long_id 0 "plan: 2 territories over 4 accounts, feasible"
  ARGS plan --accounts ${D}/input_long_id_accounts.csv --territories 2 --out ${IO}/long.csv --report ${IO}/long.json)
territory_checked_plan(input.odd_ids 0 "plan: 2 territories over 6 accounts, feasible"
  ARGS plan --accounts ${D}/input_odd_ids_accounts.csv --adjacency ${D}/input_odd_ids_adjacency.csv --territories 2
       --out ${IO}/odd.csv --report ${IO}/odd.json --svg ${IO}/odd.svg --html ${IO}/odd.html)

# ---- adjacency: unknown ids (validate_unknown_edge, unknown_adjacency_id), self-loops, repeated edges
territory_cli_case(input.self_loop_plan 1 "input_self_loop_adjacency.csv:3: self-loop: edge joins 'g0_1' to itself"
  OUT ${IO}/loop.csv PRESERVE ARGS plan --accounts ${GA} --adjacency ${D}/input_self_loop_adjacency.csv --territories 2 --out ${IO}/loop.csv)
territory_cli_case(input.unknown_edge_id_preserves_output 1 "plan_bad_adjacency.csv:3: column 'b': unknown account id 'zz'"
  OUT ${IO}/unknown.csv PRESERVE ARGS plan --accounts ${GA} --adjacency ${D}/plan_bad_adjacency.csv --territories 2 --out ${IO}/unknown.csv)
territory_cli_case(input.repeated_edges_validate 0 "adjacency: 60 edges [(]2 repeated rows counted once[)], 1 connected component"
  ARGS validate --accounts ${GA} --adjacency ${D}/input_duplicate_edges_adjacency.csv)
territory_checked_plan(input.repeated_edges_plan 0 "plan: 2 territories over 36 accounts, feasible"
  ARGS plan --accounts ${GA} --adjacency ${D}/input_duplicate_edges_adjacency.csv --territories 2 --tolerance 0.1 --time-limit 0.5
       --out ${IO}/dup_edges.csv --report ${IO}/dup_edges.json)

# ---- rule tables with unknown owners: route refuses (route_unknown_owner), rules validate reports
# (rules_validate_unknown_owner); an existing assignment survives the refusal
territory_cli_case(input.route_unknown_owner_preserves_output 1 "route_rules_unknown_owner.csv:3: column 'owner': unknown_id: rule 'b' names owner 'zed'"
  OUT ${IO}/route.csv PRESERVE
  ARGS route --rules ${D}/route_rules_unknown_owner.csv --reps ${D}/route_reps.csv --accounts ${D}/route_accounts.csv --out ${IO}/route.csv)
territory_cli_case(input.coverage_bad_date_preserves_output 1 "route_activity_bad.csv:3: column 'date': '2026-11-31' is not an ISO 8601 date"
  OUT ${IO}/coverage.csv PRESERVE
  ARGS coverage --accounts ${D}/route_owned_accounts.csv --activity ${D}/route_activity_bad.csv --out ${IO}/coverage.csv)
territory_cli_case(input.usage_error_preserves_output 1 "'--threads' must be an integer in \\[1, 1024\\], got '0'"
  OUT ${IO}/usage.csv PRESERVE ARGS plan --accounts ${GA} --territories 2 --threads 0 --out ${IO}/usage.csv)

# ---- input size: files above TERRITORY_CLI_MAX_INPUT_BYTES (default 512 MiB) are refused before reading
territory_cli_case(input.size_limit 1 "plan_grid_accounts.csv: file is [0-9]+ bytes, above the limit of 200 bytes for one input file"
  OUT ${IO}/big.csv PRESERVE ENV TERRITORY_CLI_MAX_INPUT_BYTES=200
  ARGS plan --accounts ${GA} --territories 2 --out ${IO}/big.csv)
territory_cli_case(input.size_limit_adjacency 1 "plan_grid_adjacency.csv: file is [0-9]+ bytes, above the limit of 500 bytes"
  ENV TERRITORY_CLI_MAX_INPUT_BYTES=500
  ARGS validate --accounts ${D}/good_accounts.csv --adjacency ${D}/plan_grid_adjacency.csv)
