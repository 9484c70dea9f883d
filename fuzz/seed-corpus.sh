#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's fixtures and examples and, when it is
# there, the shared corpus beside the repository (../shared/corpus). The corpus is gitignored:
# never commit it. Usage (from anywhere): fuzz/seed-corpus.sh [target...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(analyze yaml_and_templates embedded_definition fix_all cost ide_queries terraform)

sources=("$root/tests/fixtures" "$root/examples" "$root/tests/cli")
[ -d "$root/../shared/corpus" ] && sources+=("$root/../shared/corpus")

# Documents only (not the CLI cases' .toml/.stdout/.stderr), at most 256 KiB each.
files() {
  find "${sources[@]}" -type f \( -name '*.json' -o -name '*.json5' -o -name '*.jsonc' \
    -o -name '*.yaml' -o -name '*.yml' -o -name '*.asl' -o -name '*.txt' -o -name '*.tf' \) \
    -size -256k \
    | sort
}

# Rename names for ide_queries (ASCII, so ${#name} is their length in bytes).
names=("" "Next" "Renamed" "Two words" 'Quote"d' 'Back\slash' "a/b" "\$.x" "{}" ":" "#c")

for target in "${targets[@]}"; do
  dir="$here/corpus/$target"
  mkdir -p "$dir"
  i=0
  while IFS= read -r f; do
    i=$((i + 1))
    case "$target" in
      fix_all | analyze)
        # State machines (JSON) only; YAML and templates go to yaml_and_templates.
        case "$f" in *.yaml | *.yml | *.tf) continue ;; esac
        cp "$f" "$dir/seed-$i" ;;
      cost)
        # 4 option bytes (Map items, task seconds, price, workflow type + dialect).
        { head -c 4 /dev/urandom; cat "$f"; } > "$dir/seed-$i" ;;
      ide_queries)
        # dialect byte, 4 offsets, the length of a rename name and the name, the document.
        case "$f" in *.yaml | *.yml) d='\x03' ;; *.json5) d='\x02' ;; *.jsonc) d='\x01' ;; *) d='\x00' ;; esac
        name="${names[$((i % ${#names[@]}))]}"
        { printf "$d"; head -c 8 /dev/urandom; printf "\\x$(printf %02x "${#name}")%s" "$name"; \
          cat "$f"; } > "$dir/seed-$i" ;;
      *)
        cp "$f" "$dir/seed-$i" ;;
    esac
  done < <(files)
  echo "$target: $(ls "$dir" | wc -l) inputs in $dir"
done
