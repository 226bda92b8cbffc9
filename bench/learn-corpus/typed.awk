# Counts the operations of generated code that decode a documented success status: each
# operation's `decode` ends its status arms with the undocumented-success arm.
/fn decode\(/ {open=1; typed=0}
open && /raw\.ok_json\(|raw\.ok_text\(|raw\.ok\(/ {typed=1}
open && /_ if raw\.status\.is_success\(\)/ {t+=typed; n++; open=0}
END {print t+0 " of " n+0}
