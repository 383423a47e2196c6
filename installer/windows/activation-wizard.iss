; Inno Setup sample: ship the activation wizard inside your product's installer.
;
;   setup.exe                      installs, then opens the wizard for the user
;   setup.exe /KEY=XXXX-XXXX-...   installs and activates without a window; on failure the
;                                  wizard opens (interactive installs) with the problem explained
;   setup.exe /VERYSILENT /KEY=... unattended: the exit code of `activate` is logged, and a
;                                  failed activation fails nothing else (the user activates later)
;   uninstall                      offers "Deactivate this computer" so the seat is freed
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

{ The wizard and `activate` run as the user who started setup (not an elevated admin
  account): the key goes to that user's Credential Manager and data folder. }
procedure OpenWizard;
var
  Code: Integer;
begin
  if not ExecAsOriginalUser(WizardPath, '', '', SW_SHOWNORMAL, ewNoWait, Code) then
    Log('could not open the activation wizard: ' + SysErrorMessage(Code));
end;

{ Never log the key itself: only how long it was. }
procedure ActivateWithKey(const Key: String);
var
  Code: Integer;
begin
  Log(Format('activating with the key given to setup (%d characters)', [Length(Key)]));
  if not ExecAsOriginalUser(WizardPath, 'activate --json --key ' + Quote(Key), '',
                            SW_HIDE, ewWaitUntilTerminated, Code) then
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
  Key: String;
begin
  if CurStep <> ssPostInstall then
    Exit;
  Key := Trim(ExpandConstant('{param:KEY|}'));
  if Key <> '' then
    ActivateWithKey(Key)
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
