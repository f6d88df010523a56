import { describe, expect, it } from 'vitest';
import { environmentNames, normalizeRepoURL, RepoIdentity } from '../../../src/gitops/repository.js';

describe('repository URLs', () => {
  it('names one repository the same way whatever the URL form', () => {
    const forms = [
      'https://github.com/Acme/Deploy.git',
      'https://github.com/acme/deploy',
      'https://github.com/acme/deploy/',
      'http://GitHub.com/acme/deploy.git',
      'ssh://git@github.com/acme/deploy',
      'ssh://git@github.com:22/acme/deploy.git',
      'git@github.com:acme/deploy.git',
      'https://x-access-token:ghs_secret@github.com/acme/deploy.git',
      'git+https://github.com/acme/deploy',
    ];
    for (const f of forms) expect(normalizeRepoURL(f), f).toBe('github.com/acme/deploy');
  });

  it('keeps other repositories apart', () => {
    expect(normalizeRepoURL('https://github.com/acme/deploy-staging')).not.toBe(
      normalizeRepoURL('https://github.com/acme/deploy'),
    );
    expect(normalizeRepoURL('https://gitlab.com/acme/deploy')).toBe('gitlab.com/acme/deploy');
  });

  it('knows the Actions runner repository and the origin remote', () => {
    expect(environmentNames({ GITHUB_REPOSITORY: 'acme/deploy' }, 'git@github.com:acme/other.git')).toEqual([
      'https://github.com/acme/deploy',
      'git@github.com:acme/other.git',
    ]);
    expect(
      environmentNames(
        { GITHUB_REPOSITORY: 'acme/deploy', GITHUB_SERVER_URL: 'https://ghe.example.com/' },
        undefined,
      ),
    ).toEqual(['https://ghe.example.com/acme/deploy']);
  });

  it('takes only known URLs once a definition names one (strict)', () => {
    const id = new RepoIdentity(['https://github.com/acme/deploy']);
    id.settle(['https://github.com/acme/deploy.git', 'https://github.com/acme/charts']);
    expect(id.strict).toBe(true);
    expect(id.isThis('git@github.com:acme/deploy.git', false)).toBe(true);
    expect(id.isThis('https://github.com/acme/charts', true)).toBe(false);
    expect(id.guessed.size).toBe(0);
  });

  it('without a known URL, takes a source whose path exists here, and remembers the guess', () => {
    const id = new RepoIdentity(['/mirrors/deploy']);
    id.settle(['https://github.com/acme/deploy']);
    expect(id.strict).toBe(false);
    expect(id.isThis('https://github.com/acme/deploy', true)).toBe(true);
    expect(id.isThis('https://github.com/acme/other', false)).toBe(false);
    expect([...id.guessed]).toEqual(['https://github.com/acme/deploy']);
  });
});
