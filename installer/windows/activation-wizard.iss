; Inno Setup sample: ship the activation wizard inside your product's installer.
;
;   setup.exe                          installs, then opens the wizard for the user
;   setup.exe /KEYFILE=C:\path\key.txt  installs and activates without a window (preferred: the
;                                      key never appears in a process list); on failure the
;                                      wizard opens (interactive installs) with the problem explained
;   setup.exe /KEY=XXXX-XXXX-...       the same, for tools that can only pass a parameter
;   setup.exe /VERYSILENT /KEYFILE=... unattended (Intune, SCCM): the exit code of `activate` is
;                                      logged, and a failed activation fails nothing else
;   uninstall                          offers "Deactivate this computer" so the seat is freed
;
; Setup runs elevated (PrivilegesRequired=admin), so by default it activates MACHINE-WIDE: the
; task "allusers" (on by default; /TASKS="!allusers" turns it off) runs
; `activate --machine-wide --key-file ...` as administrator, which keeps the activation in
; %ProgramData%\<app id> for every user of the computer. Without the task, the activation is the
; installing user's own (run as the original, non-elevated user).
; The key reaches `activate` through a file in setup's private temporary folder ({tmp}), which
; setup deletes when it ends: never on a command line.
;
; Build the one-folder bundle first:  python installer\build.py --onedir --config vendor.toml
; Exit codes (README "Command line"): 0 ok, 2 bad key, 3 key not found, 4 seat limit,
; 5 license not usable, 6 service unreachable / rate limited, 7 local storage, 8 not activated.

#define MyAppName "Your Product"
#define MyAppVersion "1.0.0"
#define MyVendor "Your Company"
#define WizardDir "activation"
#define WizardExe "activation-wizard.exe"

[Setup]
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppPublisher={#MyVendor}
DefaultDirName={autopf}\{#MyAppName}
DefaultGroupName={#MyAppName}
OutputBaseFilename={#MyAppName} Setup
PrivilegesRequired=admin
ArchitecturesInstallIn64BitMode=x64compatible
SetupLogging=yes

[Tasks]
Name: "allusers"; Description: "Activate {#MyAppName} for every user of this computer"

[Files]
; ... your product's files ...
Source: "..\..\dist\activation-wizard\*"; DestDir: "{app}\{#WizardDir}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Activate {#MyAppName}"; Filename: "{app}\{#WizardDir}\{#WizardExe}"

[Code]
const
  EXIT_OK = 0;
  EXIT_BAD_KEY = 2;
  EXIT_KEY_NOT_FOUND = 3;
  EXIT_SEAT_LIMIT = 4;
  EXIT_NOT_USABLE = 5;
  EXIT_UNREACHABLE = 6;
  EXIT_NOT_ACTIVATED = 8;

function WizardPath: String;
begin
  Result := ExpandConstant('{app}\{#WizardDir}\{#WizardExe}');
end;

function Quote(const S: String): String;
begin
  Result := '"' + S + '"';
end;

function ActivationMessage(Code: Integer): String;
begin
  case Code of
    EXIT_OK: Result := 'activated';
    EXIT_BAD_KEY: Result := 'the license key is not in the right format';
    EXIT_KEY_NOT_FOUND: Result := 'the license key was not found';
    EXIT_SEAT_LIMIT: Result := 'the license is already in use on all its computers';
    EXIT_NOT_USABLE: Result := 'the license cannot be used (expired, suspended or similar)';
    EXIT_UNREACHABLE: Result := 'the licensing service could not be reached';
  else
    Result := 'activation did not finish (exit code ' + IntToStr(Code) + ')';
  end;
end;

{ The wizard runs as the user who started setup (not the elevated admin account): a
  per-user activation goes to that user's Credential Manager and data folder. }
procedure OpenWizard;
var
  Code: Integer;
begin
  if not ExecAsOriginalUser(WizardPath, '', '', SW_SHOWNORMAL, ewNoWait, Code) then
    Log('could not open the activation wizard: ' + SysErrorMessage(Code));
end;

{ The key in a file of setup's own temporary folder (deleted when setup ends). }
function KeyFileFor(const Key: String): String;
begin
  Result := ExpandConstant('{tmp}\license-key.txt');
  if not SaveStringToFile(Result, Key, False) then
    Result := '';
end;

{ Never log the key itself: only how long it was. Machine-wide (task "allusers"): run as
  the elevated administrator with --machine-wide; else as the original user. }
procedure ActivateWithKey(const Key, GivenKeyFile: String);
var
  Code: Integer;
  KeyFile, Params: String;
  Started: Boolean;
begin
  if Key <> '' then
    Log(Format('activating with the key given to setup (%d characters)', [Length(Key)]))
  else
    Log('activating with the key file given to setup');
  KeyFile := GivenKeyFile;
  if KeyFile = '' then
    KeyFile := KeyFileFor(Key);
  Params := 'activate --json --key-file ' + Quote(KeyFile);
  if WizardIsTaskSelected('allusers') then
    Started := Exec(WizardPath, Params + ' --machine-wide', '', SW_HIDE,
                    ewWaitUntilTerminated, Code)
  else
    Started := ExecAsOriginalUser(WizardPath, Params, '', SW_HIDE, ewWaitUntilTerminated, Code);
  if GivenKeyFile = '' then
    DeleteFile(KeyFile);
  if not Started then
  begin
    Log('could not start the activation wizard: ' + SysErrorMessage(Code));
    Code := -1;
  end;
  Log('activation: ' + ActivationMessage(Code));
  if (Code <> EXIT_OK) and not WizardSilent then
  begin
    { The wizard explains the problem and offers the next step (free a seat, retry...). }
    MsgBox(ActivationMessage(Code) + '. The activation wizard will open so you can fix it.',
           mbInformation, MB_OK);
    OpenWizard;
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  Key, KeyFile: String;
begin
  if CurStep <> ssPostInstall then
    Exit;
  KeyFile := Trim(ExpandConstant('{param:KEYFILE|}'));
  Key := Trim(ExpandConstant('{param:KEY|}'));
  if KeyFile <> '' then
    ActivateWithKey('', KeyFile)
  else if Key <> '' then
    ActivateWithKey(Key, '')
  else if not WizardSilent then
    OpenWizard;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Code: Integer;
begin
  if (CurUninstallStep <> usUninstall) or UninstallSilent then
    Exit;
  if MsgBox('Deactivate this computer? This frees its seat so you can use your license on ' +
            'another computer.', mbConfirmation, MB_YESNO) <> IDYES then
    Exit;
  { The uninstaller runs elevated: it may deactivate the machine-wide activation (exit 8:
    there is none; then the account's own one is tried, as before). }
  if not Exec(WizardPath, 'deactivate --json --machine-wide', '', SW_HIDE,
              ewWaitUntilTerminated, Code) then
    Code := -1;
  if Code = EXIT_NOT_ACTIVATED then
    if not Exec(WizardPath, 'deactivate --json', '', SW_HIDE, ewWaitUntilTerminated, Code) then
      Code := -1;
  case Code of
    EXIT_OK, EXIT_NOT_ACTIVATED: Log('deactivation: done (exit ' + IntToStr(Code) + ')');
    EXIT_UNREACHABLE:
      MsgBox('The licensing service could not be reached, so this computer still uses a seat. ' +
             'You can free it later from the device list on another computer.',
             mbInformation, MB_OK);
  else
    MsgBox('This computer could not be deactivated (exit code ' + IntToStr(Code) + '). ' +
           'Its seat can be freed later from the device list on another computer.',
           mbInformation, MB_OK);
  end;
end;
