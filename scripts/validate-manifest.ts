import { validate } from '@forge/manifest';
validate(false, 'manifest.yml').then((r) => console.log(JSON.stringify({ success: r.success, errors: r.errors }, null, 1)));
