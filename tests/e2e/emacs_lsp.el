;;; emacs_lsp.el --- End-to-end test of asl-lint in a real Emacs through Eglot  -*- lexical-binding: t; -*-

;; Run by tests/e2e/run_emacs.sh:
;;
;;   ASL_LINT_BIN=/path/to/asl-lint ASL_E2E_FILE=/tmp/x/order.asl.json \
;;     emacs --batch -Q -L editors/emacs -l tests/e2e/emacs_lsp.el
;;
;; Loads editors/emacs/asl-lint.el as its README says (load-path, require, `eglot-ensure' on
;; the mode hooks), opens a copy of fixtures/order.asl.json, and checks what Eglot and Flymake
;; show from the real server: the diagnostics with their codes and lines, a hover, the quick
;; fix of ASL101 (applied with Eglot's own edit code, after which the diagnostics are
;; re-published without ASL101), a YAML state machine in `asl-yaml-mode', and a clean
;; shutdown.  Prints one line per check and `emacs-e2e: N passed, N failed'; exits 0 when every
;; check passes, 1 when one fails, 2 on a setup error or the overall timeout.
;;
;; Environment: ASL_LINT_BIN (required), ASL_E2E_FILE (required), ASL_E2E_TIMEOUT (seconds,
;; default 60).
;;
;; Written against Eglot 1.9 (Emacs 28, Debian 12); the hover, code action and shutdown checks
;; call some of Eglot's internal functions (`eglot--...'), which newer Eglot versions may
;; rename.

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(defvar asl-e2e--passed 0)
(defvar asl-e2e--failed 0)
(defvar asl-e2e--t0 (float-time))
(defvar asl-e2e--limit (string-to-number (or (getenv "ASL_E2E_TIMEOUT") "60")))
(when (<= asl-e2e--limit 0) (setq asl-e2e--limit 60))

(defun asl-e2e--out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun asl-e2e--finish (code)
  (asl-e2e--out "# finished in %.2fs" (- (float-time) asl-e2e--t0))
  (asl-e2e--out "emacs-e2e: %d passed, %d failed" asl-e2e--passed asl-e2e--failed)
  (kill-emacs code))

(defun asl-e2e--setup-error (fmt &rest args)
  (asl-e2e--out "SETUP ERROR: %s" (apply #'format fmt args))
  (asl-e2e--finish 2))

(defmacro asl-e2e-check (name &rest body)
  "Run BODY: nil means pass, a string is the failure's detail; an error fails too."
  (declare (indent 1))
  `(let ((detail (condition-case err (progn ,@body)
                   (error (format "error in the check: %S" err)))))
     (if (null detail)
         (progn (cl-incf asl-e2e--passed) (asl-e2e--out "ok   - %s" ,name))
       (cl-incf asl-e2e--failed)
       (asl-e2e--out "FAIL - %s" ,name)
       (dolist (line (split-string (format "%s" detail) "\n" t))
         (asl-e2e--out "       %s" line)))))

;; The overall limit: never hang, whatever the server does.
(run-at-time asl-e2e--limit nil
             (lambda ()
               (asl-e2e--out "TIMEOUT: the test did not finish within %d s" asl-e2e--limit)
               (cl-incf asl-e2e--failed)
               (asl-e2e--finish 2)))

(defun asl-e2e--tick ()
  "What the command loop and redisplay do between two commands, which batch mode has not:
run `post-command-hook' (where `eglot-ensure' and Flymake's deferred start wait), the
window change hooks (Flymake starts in a buffer when it is displayed) and the idle timers
(Eglot sends didChange, and Flymake asks its backends, from those), and let process output
and the other timers run."
  (run-hooks 'post-command-hook)
  (run-window-configuration-change-hook)
  (dolist (timer (copy-sequence timer-idle-list))
    (when (memq timer timer-idle-list)
      (cancel-timer timer)
      (apply (timer--function timer) (timer--args timer))))
  (accept-process-output nil 0.05))

(defun asl-e2e--wait (seconds pred)
  "Tick until PRED returns non-nil or SECONDS pass; PRED's value."
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (asl-e2e--tick))
    value))

;; Setup -----------------------------------------------------------------------------------

(defvar asl-e2e--bin (getenv "ASL_LINT_BIN"))
(defvar asl-e2e--file (getenv "ASL_E2E_FILE"))
(unless (and asl-e2e--bin (file-executable-p asl-e2e--bin))
  (asl-e2e--setup-error "ASL_LINT_BIN=%s is not an executable file" asl-e2e--bin))
(unless (and asl-e2e--file (file-readable-p asl-e2e--file))
  (asl-e2e--setup-error "ASL_E2E_FILE=%s is not a readable file" asl-e2e--file))

;; Debian's elpa-* packages live under /usr/share/emacs/site-lisp/elpa; `-Q' skips
;; `package-initialize', so activate them (and ~/.emacs.d's, for a user-installed Eglot).
(require 'package)
(setq package-directory-list
      (append package-directory-list '("/usr/share/emacs/site-lisp/elpa")))
(package-initialize)
(unless (require 'eglot nil t)
  (asl-e2e--setup-error "Eglot is not installed (Emacs 29+ has it; on 28: elpa-eglot or M-x package-install)"))

;; What editors/emacs/README.md says to put in init.el.
(require 'asl-lint)
(setq asl-lint-server-command (list asl-e2e--bin "lsp"))
(add-hook 'asl-json-mode-hook #'eglot-ensure)
(add-hook 'asl-yaml-mode-hook #'eglot-ensure)

(setq eglot-events-buffer-size 200000) ; kept for the failure dump below
(setq eglot-send-changes-idle-time 0.1)

(asl-e2e--out "# %s, Eglot %s, %s, file %s" (emacs-version)
              (or (ignore-errors (package-desc-version (cadr (assq 'eglot package-alist)))) "built in")
              asl-e2e--bin asl-e2e--file)

;; Helpers ---------------------------------------------------------------------------------

(defun asl-e2e--line-of (needle &optional nth)
  "The 1-based line of the NTH (default 1) occurrence of NEEDLE in the current buffer."
  (save-excursion
    (goto-char (point-min))
    (and (search-forward needle nil t (or nth 1))
         (line-number-at-pos (match-beginning 0)))))

(defun asl-e2e--diags ()
  "The Flymake diagnostics of the buffer: a list of (LINE COLUMN TYPE TEXT), sorted."
  (sort (mapcar (lambda (d)
                  (save-excursion
                    (goto-char (flymake-diagnostic-beg d))
                    (list (line-number-at-pos) (1+ (current-column))
                          (flymake-diagnostic-type d) (flymake-diagnostic-text d))))
                (flymake-diagnostics))
        (lambda (a b) (or (< (car a) (car b))
                          (and (= (car a) (car b)) (< (cadr a) (cadr b)))))))

(defun asl-e2e--describe (diags)
  (if diags
      (mapconcat (lambda (d) (format "line %d col %d %s: %s" (nth 0 d) (nth 1 d) (nth 2 d) (nth 3 d)))
                 diags "\n")
    "(no diagnostics)"))

(defun asl-e2e--codes (diags)
  "\"CODE@LINE\" of each diagnostic, as `asl-lint check' would report them."
  (mapcar (lambda (d)
            (format "%s@%d"
                    (if (string-match "\\[\\(ASL[0-9]+\\)\\]" (nth 3 d)) (match-string 1 (nth 3 d)) "?")
                    (car d)))
          diags))

(defun asl-e2e--server () (eglot-current-server))

(defun asl-e2e--request (method params)
  (jsonrpc-request (asl-e2e--server) method params :timeout 10))

(defun asl-e2e--dump-events ()
  (let ((server (asl-e2e--server)))
    (when server
      (let ((buf (jsonrpc-events-buffer server)))
        (when (buffer-live-p buf)
          (with-current-buffer buf
            (asl-e2e--out "--- last of the Eglot events buffer ---")
            (asl-e2e--out "%s" (buffer-substring-no-properties
                                (max (point-min) (- (point-max) 3000)) (point-max)))
            (asl-e2e--out "---")))))))

;; The checks ------------------------------------------------------------------------------

(defvar asl-e2e--buf (find-file-noselect asl-e2e--file))
(set-buffer asl-e2e--buf)
(switch-to-buffer asl-e2e--buf)

(asl-e2e-check "auto-mode-alist: *.asl.json opens in asl-json-mode (editors/emacs/asl-lint.el)"
  (unless (eq major-mode 'asl-json-mode)
    (format "major-mode is %s" major-mode)))

(asl-e2e-check "eglot-ensure connects the asl-lint server, which initializes"
  (if (asl-e2e--wait 15 (lambda () (and (asl-e2e--server) eglot--managed-mode)))
      (let ((server (asl-e2e--server)))
        (unless (equal (process-command (jsonrpc--process server)) (list asl-e2e--bin "lsp"))
          (format "the server runs %S" (process-command (jsonrpc--process server)))))
    (format "no Eglot server manages the buffer within 15 s; *Messages*:\n%s"
            (with-current-buffer "*Messages*" (buffer-string)))))

(unless (asl-e2e--server)
  (asl-e2e--dump-events)
  (asl-e2e--finish 1))

(asl-e2e-check "the server says it provides hover, definition, code actions and rename"
  (let ((missing (cl-remove-if (lambda (cap) (funcall (if (fboundp 'eglot-server-capable)
                                                        'eglot-server-capable
                                                      'eglot--server-capable)
                                                    cap))
                               '(:hoverProvider :definitionProvider :codeActionProvider
                                 :renameProvider :completionProvider))))
    (when missing (format "missing capabilities: %S" missing))))

(defvar asl-e2e--want
  (list (format "ASL101@%d" (asl-e2e--line-of "\"Default\": \"BackOrdr\""))
        (format "ASL103@%d" (asl-e2e--line-of "\"BackOrder\": {"))
        (format "ASL103@%d" (asl-e2e--line-of "\"Orphan\": {"))))

(asl-e2e-check (format "Flymake shows the server's diagnostics: %s"
                       (string-join asl-e2e--want ", "))
  (let ((got (asl-e2e--wait 15 (lambda ()
                                 (let ((d (asl-e2e--diags)))
                                   (and (equal (asl-e2e--codes d) asl-e2e--want) d))))))
    (if got
        (let ((unknown (car got)))
          (cond
           ((not (eq (nth 2 unknown) 'eglot-error))
            (format "ASL101 has type %s, want eglot-error" (nth 2 unknown)))
           ((not (string-match-p "`BackOrdr`.*did you mean `BackOrder`" (nth 3 unknown)))
            (format "ASL101's text: %s" (nth 3 unknown)))
           ((not (string-prefix-p "asl-lint [ASL101]" (nth 3 unknown)))
            (format "ASL101's text does not name the source asl-lint: %s" (nth 3 unknown)))
           ((/= (nth 1 unknown) 18)
            (format "ASL101 at column %d, want 18 (the value \"BackOrdr\")" (nth 1 unknown)))))
      (format "want %S, Flymake has:\n%s" asl-e2e--want (asl-e2e--describe (asl-e2e--diags))))))

(asl-e2e-check "hover on `\"Next\": \"ChargeCard\"` is about the state ChargeCard"
  (save-excursion
    (goto-char (point-min))
    (search-forward "\"Next\": \"ChargeCard\"")
    (backward-char 4)
    (let* ((hover (asl-e2e--request :textDocument/hover (eglot--TextDocumentPositionParams)))
           (contents (plist-get hover :contents))
           (text (and contents (eglot--hover-info contents (plist-get hover :range)))))
      (cond ((null hover) "the server answered null")
            ((not (and text (string-match-p "ChargeCard" text)))
             (format "the hover (as Eglot renders it) does not mention ChargeCard: %S" text))))))

(asl-e2e-check "code action \"Change `BackOrdr` to `BackOrder`\", applied by Eglot, clears ASL101"
  (let* ((line (asl-e2e--line-of "\"Default\": \"BackOrdr\""))
         (beg (save-excursion (goto-char (point-min)) (forward-line (1- line)) (point)))
         (end (line-end-position (- line (line-number-at-pos) -1)))
         (actions (asl-e2e--request
                   :textDocument/codeAction
                   (list :textDocument (eglot--TextDocumentIdentifier)
                         :range (list :start (eglot--pos-to-lsp-position beg)
                                      :end (eglot--pos-to-lsp-position end))
                         :context (list :diagnostics
                                        (vconcat
                                         (cl-loop for d in (flymake-diagnostics beg end)
                                                  when (cdr (assoc 'eglot-lsp-diag
                                                                   (eglot--diag-data d)))
                                                  collect it))))))
         (fix (cl-find "Change `BackOrdr` to `BackOrder`" actions
                       :key (lambda (a) (plist-get a :title)) :test #'equal)))
    (cond
     ((null fix)
      (format "no such action among %S" (mapcar (lambda (a) (plist-get a :title)) actions)))
     ((not (plist-get fix :edit)) (format "the action has no edit: %S" fix))
     (t
      (eglot--apply-workspace-edit (plist-get fix :edit))
      (let ((want (list (format "ASL103@%d" (asl-e2e--line-of "\"Orphan\": {")))))
        (cond
         ((not (asl-e2e--line-of "\"Default\": \"BackOrder\""))
          (format "after the edit, the line reads: %s"
                  (save-excursion (goto-char (point-min)) (forward-line (1- line))
                                  (buffer-substring (point) (line-end-position)))))
         ((not (asl-e2e--wait 15 (lambda () (equal (asl-e2e--codes (asl-e2e--diags)) want))))
          (format "after the fix, want %S; Flymake has:\n%s" want
                  (asl-e2e--describe (asl-e2e--diags))))))))))

(asl-e2e-check "*.asl.yaml beside it opens in asl-yaml-mode, joins the same server, gets ASL101 at 5:11"
  (let* ((server (asl-e2e--server))
         (yaml (expand-file-name "flow.asl.yaml" (file-name-directory asl-e2e--file)))
         ybuf result)
    (with-temp-file yaml
      (insert "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Gone\n"))
    (setq ybuf (find-file-noselect yaml))
    (with-current-buffer ybuf
      (switch-to-buffer ybuf)
      (setq result
            (cond
             ((not (eq major-mode 'asl-yaml-mode)) (format "major-mode is %s" major-mode))
             ((not (asl-e2e--wait 15 (lambda () (eglot-current-server))))
              "no Eglot server manages the YAML buffer")
             ((not (eq (eglot-current-server) server))
              "the YAML buffer got a server of its own, not the JSON buffer's")
             ((not (asl-e2e--wait 15 (lambda () (member "ASL101@5" (asl-e2e--codes (asl-e2e--diags))))))
              (format "want ASL101@5 (YAML positions); Flymake has:\n%s"
                      (asl-e2e--describe (asl-e2e--diags))))
             (t (let ((d (cl-find-if (lambda (d) (string-match-p "\\[ASL101\\]" (nth 3 d)))
                                     (asl-e2e--diags))))
                  (unless (= (nth 1 d) 11)
                    (format "ASL101 at column %d, want 11" (nth 1 d))))))))
    (switch-to-buffer asl-e2e--buf)
    (kill-buffer ybuf)
    (delete-file yaml)
    result))

(asl-e2e-check "a plain package.json stays out of asl-json-mode and gets no asl-lint server"
  (let* ((dir (make-temp-file "asl-e2e-" t))
         (json (expand-file-name "package.json" dir))
         result)
    (with-temp-file json (insert "{ \"name\": \"x\", \"version\": \"1.0.0\" }\n"))
    (with-current-buffer (find-file-noselect json)
      (asl-e2e--tick)
      (when (eq major-mode 'asl-json-mode)
        (setq result (format "package.json is in %s" major-mode)))
      (when (and (not result) (eglot-current-server)
                 (member (car asl-lint-server-command)
                         (process-command (jsonrpc--process (eglot-current-server)))))
        (setq result "asl-lint manages package.json"))
      (kill-buffer))
    (delete-directory dir t)
    result))

(asl-e2e-check "the server answers shutdown and exits with status 0 on exit"
  ;; The protocol by hand: Emacs 28's jsonrpc.el kills the process right after `exit'
  ;; (`eglot-shutdown' ends in `jsonrpc-shutdown', which deletes it without waiting), so
  ;; `eglot-shutdown' cannot show whether the server exits by itself.
  (let* ((server (asl-e2e--server))
         (proc (jsonrpc--process server)))
    (setf (eglot--shutdown-requested server) t)
    (jsonrpc-request server :shutdown nil :timeout 5)
    (jsonrpc-notify server :exit nil)
    (cond
     ((not (asl-e2e--wait 5 (lambda () (not (process-live-p proc)))))
      "still running 5 s after shutdown/exit")
     ((not (and (eq (process-status proc) 'exit) (= (process-exit-status proc) 0)))
      (format "the server ended with %s %s" (process-status proc) (process-exit-status proc))))))

(when (> asl-e2e--failed 0)
  (asl-e2e--dump-events))
(asl-e2e--finish (if (= asl-e2e--failed 0) 0 1))

;;; emacs_lsp.el ends here
