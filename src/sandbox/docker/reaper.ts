// Removes a hookbox process's containers and project base images when that process dies,
// however it dies: started by the docker backend with an IPC channel, it waits for the channel
// to close (hookbox exited, or was SIGKILLed by the OOM killer or a CI timeout, when no handler
// of its own can run) and then force-removes everything labelled with hookbox's pid.
import { engineFromEnv } from './engine-connection.js';

export const OWNER_LABEL = 'dev.hookbox.owner';

const owner = process.argv[2];
if (owner !== undefined && process.send !== undefined) {
  process.on('disconnect', () => {
    // hookbox's own environment, so the engine hookbox used (DOCKER_HOST and its TLS settings).
    const docker = engineFromEnv();
    const filters = { label: [`${OWNER_LABEL}=${owner}`] };
    docker
      .listContainers({ all: true, filters })
      .then((containers) => Promise.all(containers.map((info) => docker.getContainer(info.Id).remove({ force: true }).catch(() => undefined))))
      .then(() => docker.listImages({ filters }))
      // An image cannot go while another is built on it: a few passes remove a whole chain.
      .then(async (images) => {
        let left = images.map((info) => info.Id);
        for (let pass = 0; pass < 5 && left.length > 0; pass++) {
          const stuck: string[] = [];
          for (const id of left) await docker.getImage(id).remove({ force: true }).catch(() => stuck.push(id));
          left = stuck;
        }
      })
      .catch(() => undefined)
      .finally(() => process.exit(0));
  });
}
